//! Several Stip processes on one database, as a network runs them: real `stip serve`
//! processes over TCP, and the CLI beside them. Whatever one process writes, the others serve
//! within a second, through the change log; a save is decided by the database.

use crate::common::stip;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use stip_store::testing::TestDb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn run(args: &[&str]) -> String {
    let out = stip(args).output().unwrap();
    assert!(
        out.status.success(),
        "stip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into()
}

/// A `stip serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(url: &str) -> Server {
        Server::start_with(url, &[])
    }

    fn start_with(url: &str, more: &[&str]) -> Server {
        let mut args = vec!["serve", "--addr", "127.0.0.1:0", "--database", url];
        args.extend_from_slice(more);
        let mut child = stip(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = lines
            .next()
            .expect("stip serve prints its address")
            .unwrap();
        let addr = ready
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .expect("the address is printed")
            .trim_end_matches('/')
            .to_string();
        Server { child, addr }
    }

    async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        http(&self.addr, method, path, headers, body).await
    }

    async fn api(&self, method: &str, path: &str, token: &str, json: Option<&str>) -> Reply {
        let auth = format!("Bearer {token}");
        let mut headers = vec![("Authorization", auth.as_str())];
        if json.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.send(method, path, &headers, json.unwrap_or("")).await
    }
}

/// One HTTP/1.1 request to `addr`; the status, the headers and the body of the answer.
async fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    try_http(addr, method, path, headers, body)
        .await
        .unwrap_or_else(|| panic!("{method} {path}: no answer from {addr}"))
}

/// Like [`http`], `None` when the server does not answer whole (it was stopped).
async fn try_http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Reply> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
        addr,
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).await.ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.ok()?;
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some(Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    })
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The value of a cookie this answer sets.
    fn cookie(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            if !k.eq_ignore_ascii_case("set-cookie") {
                return None;
            }
            let pair = v.trim().split(';').next()?;
            let (n, value) = pair.split_once('=')?;
            (n == name).then(|| value.to_string())
        })
    }

    /// The CSRF token of the page's forms.
    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a form") + marker.len();
        self.body[start..start + self.body[start..].find('"').unwrap()].to_string()
    }
}

/// Asks `check` again until it holds; fails after `within`. How long it took.
async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < within, "not within {within:?}: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Logs in through the form on `server`; the session cookie.
async fn login(server: &Server, email: &str, password: &str) -> String {
    let page = server.send("GET", "/inloggen", &[], "").await;
    let csrf_cookie = page.cookie("stip_csrf").expect("a CSRF cookie");
    let body = serde_urlencoded::to_string([
        ("csrf", page.csrf().as_str()),
        ("email", email),
        ("password", password),
    ])
    .unwrap();
    let cookie = format!("stip_csrf={csrf_cookie}");
    let res = server
        .send(
            "POST",
            "/inloggen",
            &[
                ("Cookie", &cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &body,
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    res.cookie("stip_session").expect("a session")
}

const PROJECT: &str =
    r#"{"title": "Gedeeld over twee instanties", "phase": "idee", "themes": ["leermiddelen"]}"#;

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_on_one_postgres_serve_each_others_writes() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    run(&[
        "demo",
        "--database",
        &db.url,
        "--institutions",
        "7",
        "--projects-per-institution",
        "2",
    ]);
    let token = run(&[
        "token",
        "create",
        "--email",
        "im@horizon.demo",
        "--database",
        &db.url,
    ]);
    let token = token.trim();
    let a = Server::start(&db.url);
    let b = Server::start(&db.url);
    for s in [&a, &b] {
        let ready = s.send("GET", "/readyz", &[], "").await;
        assert_eq!(ready.status, 200, "{}", ready.body);
    }

    // Made on A: served by B within a second.
    let created = a
        .api("POST", "/api/v1/projects", token, Some(PROJECT))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/projects/{id}");
    eventually(
        Duration::from_secs(1),
        "B serves the project made on A",
        || async { b.api("GET", &path, token, None).await.status == 200 },
    )
    .await;

    // Saved on A from version 1; the same version on B is stale whatever B holds.
    let mut project = created.json();
    project["title"] = "Bewaard via A".into();
    for key in [
        "id",
        "institution_name",
        "status_date",
        "created_at",
        "updated_at",
    ] {
        project.as_object_mut().unwrap().remove(key);
    }
    let saved = a.api("PUT", &path, token, Some(&project.to_string())).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    project["title"] = "Bewaard via B, van versie 1".into();
    let stale = b.api("PUT", &path, token, Some(&project.to_string())).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    eventually(Duration::from_secs(1), "B serves A's save", || async {
        b.api("GET", &path, token, None).await.json()["title"] == "Bewaard via A"
    })
    .await;

    // Deleted on A: gone on B.
    assert_eq!(a.api("DELETE", &path, token, None).await.status, 204);
    eventually(
        Duration::from_secs(1),
        "B no longer serves the deleted project",
        || async { b.api("GET", &path, token, None).await.status == 404 },
    )
    .await;

    // The followers' listening connections are cut: they catch up all the same.
    let cut = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'";
    assert!(stip_store::testing::execute(&db.store, cut).await.unwrap() >= 2);
    let again = a
        .api("POST", "/api/v1/projects", token, Some(PROJECT))
        .await;
    let path = format!("/api/v1/projects/{}", again.json()["id"]);
    eventually(
        Duration::from_secs(1),
        "B serves a project made after its cut",
        || async { b.api("GET", &path, token, None).await.status == 200 },
    )
    .await;

    // Logged in on A, known on B; logged out on A, refused on B within a second.
    let session = login(&a, "im@horizon.demo", "demo-horizon").await;
    let cookie = format!("stip_session={session}");
    let account = b.send("GET", "/account", &[("Cookie", &cookie)], "").await;
    assert_eq!(account.status, 200, "B knows the session");
    let logout = format!("csrf={}", account.csrf());
    let res = a
        .send(
            "POST",
            "/uitloggen",
            &[
                ("Cookie", &cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &logout,
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    eventually(
        Duration::from_secs(1),
        "B refuses the ended session",
        || async {
            b.send("GET", "/account", &[("Cookie", &cookie)], "")
                .await
                .status
                != 200
        },
    )
    .await;
}

/// `stip demo` into the database of a running server, and `stip user add` beside it: the
/// server shows the projects (it showed 0 before) and lets the new account in.
#[tokio::test(flavor = "multi_thread")]
async fn a_server_on_sqlite_serves_what_the_cli_writes() {
    let db = TestDb::sqlite().await;
    let url = db.url.clone();
    db.store.close().await;
    let server = Server::start(&url);
    let before = server.send("GET", "/api/v1/projects", &[], "").await;
    assert_eq!(
        before.json()["total"],
        0,
        "an empty portfolio to begin with"
    );

    run(&[
        "demo",
        "--database",
        &url,
        "--institutions",
        "7",
        "--projects-per-institution",
        "3",
    ]);
    let token = run(&[
        "token",
        "create",
        "--email",
        "im@horizon.demo",
        "--database",
        &url,
    ]);
    // A server started now reads the database whole: the running one must serve the same.
    let fresh = Server::start(&url);
    let expected = fresh
        .api("GET", "/api/v1/projects", token.trim(), None)
        .await
        .json()["total"]
        .clone();
    assert!(expected.as_i64().unwrap() > 0);
    eventually(
        Duration::from_secs(1),
        "the running server serves the loaded projects",
        || async {
            let page = server
                .api("GET", "/api/v1/projects", token.trim(), None)
                .await;
            page.status == 200 && page.json()["total"] == expected
        },
    )
    .await;

    let mut add = stip(&[
        "user",
        "add",
        "--email",
        "nieuw@horizon.demo",
        "--name",
        "Nieuwe Collega",
        "--role",
        "lezer",
        "--database",
        &url,
        "--password-stdin",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    use std::io::Write;
    add.stdin
        .take()
        .unwrap()
        .write_all(b"een-lang-wachtwoord\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    login(&server, "nieuw@horizon.demo", "een-lang-wachtwoord").await;
}

/// The documented way to move from SQLite to PostgreSQL: `stip backup`, then `stip restore`.
#[tokio::test(flavor = "multi_thread")]
async fn backup_and_restore_move_a_network_from_sqlite_to_postgres_and_back() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let sqlite = TestDb::sqlite().await;
    run(&[
        "demo",
        "--database",
        &sqlite.url,
        "--institutions",
        "7",
        "--projects-per-institution",
        "4",
    ]);
    let dir = std::env::temp_dir().join(format!("stip-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let first = dir.join("sqlite.json");
    let second = dir.join("postgres.json");
    let out = run(&[
        "backup",
        "--database",
        &sqlite.url,
        "--output",
        first.to_str().unwrap(),
    ]);
    assert!(
        out.contains("projects") && out.contains("28 rijen"),
        "{out}"
    );

    let out = run(&["restore", "--database", &pg.url, first.to_str().unwrap()]);
    assert!(out.contains("teruggezet"), "{out}");
    run(&[
        "backup",
        "--database",
        &pg.url,
        "--output",
        second.to_str().unwrap(),
    ]);
    let tables = |path: &std::path::Path| -> serde_json::Value {
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        doc["tables"].clone()
    };
    assert_eq!(
        tables(&first),
        tables(&second),
        "the same data on PostgreSQL"
    );

    // A database that is in use is refused, by name, and keeps what it had.
    let refused = stip(&["restore", "--database", &pg.url, first.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("not empty"), "{err}");
    run(&[
        "backup",
        "--database",
        &pg.url,
        "--output",
        second.to_str().unwrap(),
    ]);
    assert_eq!(tables(&first), tables(&second));
    std::fs::remove_dir_all(&dir).ok();
}

/// `--metrics-addr`: Prometheus text at `/metrics` on a port of its own, with the requests per
/// route and the state of the read model, the change log and the database pool.
#[tokio::test(flavor = "multi_thread")]
async fn metrics_are_served_on_their_own_port() {
    let db = TestDb::sqlite().await;
    let url = db.url.clone();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics_addr = format!("127.0.0.1:{port}");
    let server = Server::start_with(&url, &["--metrics-addr", &metrics_addr]);
    assert_eq!(server.send("GET", "/projecten", &[], "").await.status, 200);
    let text = http(&metrics_addr, "GET", "/metrics", &[], "").await;
    assert_eq!(text.status, 200);
    for expected in [
        "stip_http_requests_total{method=\"GET\",route=\"/projecten\",status=\"200\"} 1",
        "stip_http_request_duration_seconds_bucket{method=\"GET\",route=\"/projecten\",le=\"0.005\"}",
        "stip_read_model_projects 0",
        "stip_change_log_lag_seconds",
        "stip_change_log_entries_behind 0",
        "stip_db_pool_connections",
    ] {
        assert!(
            text.body.contains(expected),
            "{expected} in:\n{}",
            text.body
        );
    }
    // The application's own port has no metrics.
    assert_eq!(server.send("GET", "/metrics", &[], "").await.status, 404);
}

/// `kill -9` during a stream of saves loses no save that was answered 200: after a restart the
/// project is at the last answered version or later, on SQLite and on PostgreSQL.
#[tokio::test(flavor = "multi_thread")]
async fn a_killed_server_keeps_every_answered_save() {
    let sqlite = TestDb::sqlite().await;
    let postgres = TestDb::postgres().await;
    for db in std::iter::once(&sqlite).chain(postgres.as_ref()) {
        run(&[
            "demo",
            "--database",
            &db.url,
            "--institutions",
            "7",
            "--projects-per-institution",
            "1",
        ]);
        let token = run(&[
            "token",
            "create",
            "--email",
            "im@horizon.demo",
            "--database",
            &db.url,
        ]);
        let token = token.trim().to_string();
        let mut server = Server::start(&db.url);
        let created = server
            .api("POST", "/api/v1/projects", &token, Some(PROJECT))
            .await;
        let id = created.json()["id"].as_i64().unwrap();
        let path = format!("/api/v1/projects/{id}");

        // Saves one after another, each from the version the previous one answered, until the
        // server is killed under them.
        let acked = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(1));
        let saver = {
            let (addr, token, path, acked) = (
                server.addr.clone(),
                token.clone(),
                path.clone(),
                acked.clone(),
            );
            tokio::spawn(async move {
                let auth = format!("Bearer {token}");
                loop {
                    let version = acked.load(std::sync::atomic::Ordering::SeqCst);
                    let body = format!(
                        r#"{{"version": {version}, "title": "Versie {}"}}"#,
                        version + 1
                    );
                    let reply = tokio::time::timeout(
                        Duration::from_secs(5),
                        try_http(
                            &addr,
                            "PATCH",
                            &path,
                            &[
                                ("Authorization", &auth),
                                ("Content-Type", "application/merge-patch+json"),
                            ],
                            &body,
                        ),
                    )
                    .await;
                    match reply {
                        Ok(Some(r)) if r.status == 200 => {
                            acked.store(
                                r.json()["version"].as_i64().unwrap(),
                                std::sync::atomic::Ordering::SeqCst,
                            );
                        }
                        _ => break,
                    }
                }
            })
        };
        eventually(Duration::from_secs(30), "50 saves answered", || async {
            acked.load(std::sync::atomic::Ordering::SeqCst) > 50
        })
        .await;
        server.child.kill().unwrap(); // SIGKILL
        server.child.wait().unwrap();
        saver.await.unwrap();
        let answered = acked.load(std::sync::atomic::Ordering::SeqCst);

        server = Server::start(&db.url);
        let stored = server.api("GET", &path, &token, None).await.json();
        let version = stored["version"].as_i64().unwrap();
        assert!(
            version >= answered,
            "{}: stored {version}, answered {answered}",
            db.url
        );
        assert_eq!(stored["title"], format!("Versie {version}"));
    }
}
