//! `TestApp`: the whole application in process on a fresh database, on SQLite or PostgreSQL,
//! and `Session`s that carry cookies and fill in CSRF tokens.
//!
//! `TestApp::new().await` is an empty installation with the default agenda; `.with_demo()` adds
//! the demo institutions, projects and accounts. `app.session(role)` is a person of that role
//! with a session inserted directly (no login form, no password hashing), so a test costs
//! milliseconds; `app.login(email)` goes through the real login form. Which database a test
//! runs on is chosen by `on_both!` in main.rs.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use std::future::{Future, IntoFuture};
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use stip_core::user::Role;
use stip_store::Store;
use stip_store::testing::TestDb;
use stip_store::user::UserData;
use stip_web::{AppState, demo, router};
use tower::ServiceExt;

/// Demo accounts by role, as in `stip_web::demo::ACCOUNTS`.
pub const BEHEERDER: &str = "beheer@stip.demo";
pub const REGIEGROEP: &str = "regiegroep@stip.demo";
pub const IM_HORIZON: &str = "im@horizon.demo";
pub const IM_DAVINCI: &str = "im@davinci.demo";
pub const LEZER: &str = "lezer@stip.demo";

pub use stip_store::testing::Backend;

pub struct TestApp {
    /// Shared by every instance made with [`TestApp::another_instance`].
    pub db: Arc<TestDb>,
    router: Router,
    /// This instance's own store (the database's first store for the first instance).
    store: Store,
}

/// What a `TestApp` starts with; `.await` makes it.
pub struct Builder {
    demo: bool,
}

impl Builder {
    /// The seven seed institutions with four demo projects each, and the demo accounts.
    pub fn with_demo(mut self) -> Builder {
        self.demo = true;
        self
    }
}

impl IntoFuture for Builder {
    type Output = TestApp;
    type IntoFuture = Pin<Box<dyn Future<Output = TestApp> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let db = match Backend::current() {
                Backend::Sqlite => TestDb::sqlite().await,
                Backend::Postgres => TestDb::postgres()
                    .await
                    .expect("PostgreSQL was reachable when the test started"),
            };
            if self.demo {
                demo::load(&db.store, 7, 4, 1)
                    .await
                    .expect("load demo data");
            } else {
                demo::ensure_agenda(&db.store)
                    .await
                    .expect("load the default agenda");
            }
            let router = router(AppState::new(db.store.clone()));
            TestApp {
                store: db.store.clone(),
                db: Arc::new(db),
                router,
            }
        })
    }
}

impl TestApp {
    /// A fresh installation: the default agenda and nothing else.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> Builder {
        Builder { demo: false }
    }

    /// A fresh installation with the demo data.
    pub async fn demo() -> TestApp {
        TestApp::new().with_demo().await
    }

    /// The same application with its state changed, e.g. trusted proxies.
    pub fn with_state(self, change: impl FnOnce(AppState) -> AppState) -> TestApp {
        let router = router(change(AppState::new(self.store.clone())));
        TestApp { router, ..self }
    }

    /// A second server on the same database, with a store (and caches) of its own, as a second
    /// `stip serve` would be.
    pub async fn another_instance(&self) -> TestApp {
        self.another_instance_with(|s| s).await
    }

    /// [`TestApp::another_instance`] with its state changed, e.g. its settings.
    pub async fn another_instance_with(
        &self,
        change: impl FnOnce(AppState) -> AppState,
    ) -> TestApp {
        let store = Store::connect(&self.db.url)
            .await
            .expect("connect a second store");
        TestApp {
            db: self.db.clone(),
            router: router(change(AppState::new(store.clone()))),
            store,
        }
    }

    /// This instance's store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn anonymous(&self) -> Session {
        Session {
            router: self.router.clone(),
            cookies: Mutex::new(Vec::new()),
            headers: HeaderMap::new(),
            peer: None,
        }
    }

    /// A session logged in through the login form, with the demo account's password.
    pub async fn login(&self, email: &str) -> Session {
        let password = demo::ACCOUNTS
            .iter()
            .find(|a| a.email == email)
            .expect("a demo account")
            .password;
        let s = self.anonymous();
        let res = s
            .post_form("/inloggen", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "logging in as {email}: {}",
            res.body
        );
        s
    }

    /// A session of an existing account, inserted directly as a login would make it.
    pub async fn session_of(&self, email: &str) -> Session {
        let user = self
            .store()
            .user_by_email(email)
            .await
            .expect("account exists");
        let (token, hash) = stip_web::auth::token::new_api_token();
        let csrf = stip_web::auth::token::new_api_token().0;
        self.store()
            .create_session(&hash, user.id, &csrf, "9999-12-31T00:00:00.000000Z")
            .await
            .expect("store the session");
        let s = self.anonymous();
        s.set_cookie(stip_web::auth::session::SESSION_COOKIE, &token);
        s
    }

    /// A new person with this role (an informatiemanager of Horizon College, 25LN, which is
    /// made when missing) and a session of theirs.
    pub async fn session(&self, role: Role) -> Session {
        let institution_id = match role {
            Role::Informatiemanager => Some(self.institution("25LN", "Horizon College").await),
            _ => None,
        };
        self.session_at(role, institution_id).await
    }

    /// A new person with this role at this institution (or none) and a session of theirs.
    pub async fn session_at(&self, role: Role, institution_id: Option<i64>) -> Session {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let email = format!("{}-{n}@test.example", role.code());
        let email = stip_core::user::Email::parse(&email).expect("a valid address");
        let data = UserData {
            email: &email,
            name: &format!("Test {}", role.code()),
            role,
            institution_id,
            active: true,
        };
        self.store()
            .create_user(
                &data,
                "not a password hash: this account only has a session",
            )
            .await
            .expect("create the account");
        self.session_of(email.as_str()).await
    }

    /// The id of the institution with this BRIN code, made when missing.
    pub async fn institution(&self, brin: &str, name: &str) -> i64 {
        use stip_core::institution::{BrinCode, InstitutionData};
        let code = BrinCode::parse(brin).expect("a BRIN code");
        if let Ok(i) = self.store().institution_by_brin(&code).await {
            return i.id;
        }
        self.store()
            .create_institution(&InstitutionData {
                brin: code,
                name: name.into(),
                short_name: name.into(),
                region: String::new(),
                students: None,
                domains: vec![],
            })
            .await
            .expect("create the institution")
    }

    /// Adds a project through the store: a valid idea titled `title` at the institution with
    /// `brin` (made when missing), visible to the network, as changed by `edit`. Returns its id.
    pub async fn add_project(
        &self,
        brin: &str,
        title: &str,
        edit: impl FnOnce(&mut stip_core::portfolio::ProjectInput),
    ) -> i64 {
        use stip_core::portfolio::{ProjectData, ProjectInput, References};
        let name = match brin {
            "25LN" => "Horizon College",
            "25LK" => "DaVinci College",
            other => other,
        };
        let institution = self.institution(brin, name).await;
        let mut input = ProjectInput {
            title: title.into(),
            phase: "idee".into(),
            status: "groen".into(),
            primary_theme: "innovatie".into(),
            visibility: "netwerk".into(),
            ..Default::default()
        };
        edit(&mut input);
        let store = self.store();
        let themes = store.themes().await.unwrap();
        let drivers = store.policy_drivers().await.unwrap();
        let mora_areas = store.mora_areas().await.unwrap();
        let criteria = store.criteria().await.unwrap();
        let themes: Vec<&str> = themes.iter().map(|t| t.data.code.as_str()).collect();
        let drivers: Vec<&str> = drivers.iter().map(|d| d.code.as_str()).collect();
        let mora_areas: Vec<&str> = mora_areas.iter().map(|a| a.data.code.as_str()).collect();
        let criteria: Vec<&str> = criteria.iter().map(|c| c.data.code.as_str()).collect();
        let refs = References {
            themes: &themes,
            drivers: &drivers,
            mora_areas: &mora_areas,
            criteria: &criteria,
        };
        let data = ProjectData::parse(&input, &refs).expect("a valid test project");
        let editor = stip_store::portfolio::Editor {
            user_id: None,
            name: "Test".into(),
        };
        store
            .create_project(institution, &data, &editor)
            .await
            .expect("store the project")
            .id
    }

    /// An API token for an account, as `stip token create` makes it.
    pub async fn token(&self, email: &str) -> String {
        let user = self
            .store()
            .user_by_email(email)
            .await
            .expect("account exists");
        let (token, hash) = stip_web::auth::token::new_api_token();
        self.store()
            .create_api_token(&hash, user.id)
            .await
            .expect("store token");
        token
    }

    /// The id of a demo project of an institution with the given visibility, making one visible
    /// that way if needed.
    pub async fn project_of(&self, brin: &str, visibility: &str) -> i64 {
        use stip_core::portfolio::*;
        let req = ListQuery {
            institution: brin.into(),
            per_page: "200".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let page = self
            .store()
            .list_projects(&req, stip_core::access::ProjectScope::All)
            .await
            .unwrap();
        let p = page
            .items
            .first()
            .expect("the institution has demo projects")
            .clone();
        let wanted = Visibility::parse(visibility).expect("a visibility code");
        if p.data.visibility != wanted {
            let mut data = p.data.clone();
            data.visibility = wanted;
            let editor = stip_store::portfolio::Editor {
                user_id: None,
                name: "test".into(),
            };
            self.store()
                .update_project(p.id, stip_core::Version(p.version), &data, &editor)
                .await
                .unwrap();
        }
        p.id
    }
}

pub struct Session {
    router: Router,
    cookies: Mutex<Vec<(String, String)>>,
    pub headers: HeaderMap,
    /// The address the request comes from, as the server's socket sees it.
    peer: Option<IpAddr>,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as it came, for files that are not text (a PDF, a spreadsheet).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The text of the element with this id, e.g. the error next to a field: `e-title`.
    pub fn text_of(&self, id: &str) -> Option<String> {
        let start = self.body.find(&format!("id=\"{id}\""))?;
        let open_end = start + self.body[start..].find('>')? + 1;
        let close = open_end + self.body[open_end..].find("</")?;
        Some(html_decode(&self.body[open_end..close]))
    }

    /// Whether the page contains this text (HTML entities decoded).
    /// The fields a 422 problem names, in its order.
    pub fn refused_fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn shows(&self, text: &str) -> bool {
        html_decode(&self.body).contains(text)
    }
}

pub fn html_decode(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#38;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Session {
    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        let mut jar = self.cookies.lock().unwrap();
        jar.retain(|(k, _)| k != name);
        jar.push((name.into(), value.into()));
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> TestResponse {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            req = req.header(header::COOKIE, cookies);
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        if let Some(ip) = self.peer {
            req = req.extension(axum::extract::ConnectInfo(SocketAddr::new(ip, 40000)));
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            jar.retain(|(name, _)| name != k);
            if !set.contains("Max-Age=0") {
                jar.push((k.to_string(), v.to_string()));
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, None, String::new()).await
    }

    /// The CSRF token this session's forms carry (read from a page, as a browser has it).
    pub async fn csrf(&self) -> String {
        let page = self.get("/inloggen").await;
        let marker = "name=\"csrf\" value=\"";
        let start = page.body.find(marker).expect("a form with a CSRF token") + marker.len();
        page.body[start..start + page.body[start..].find('"').unwrap()].to_string()
    }

    /// Posts a form as a browser does, with the CSRF token filled in.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields, without adding a CSRF token.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.request(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            body,
        )
        .await
    }

    /// A JSON API call; with a session cookie the CSRF header is sent too, as Stip's pages would.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        json: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut headers = self.headers.clone();
        if self.cookie("stip_session").is_some() && method != Method::GET {
            let csrf = self.csrf().await;
            headers.insert("x-csrf-token", csrf.parse().unwrap());
        }
        let s = Session {
            router: self.router.clone(),
            cookies: Mutex::new(self.cookies.lock().unwrap().clone()),
            headers,
            peer: self.peer,
        };
        let body = json.map(|j| j.to_string()).unwrap_or_default();
        s.request(method, path, Some("application/json"), body)
            .await
    }

    /// Opens a stream of server-sent events at `path` (with `Last-Event-ID` when given).
    pub async fn events(&self, path: &str, last_event_id: Option<i64>) -> EventStream {
        let mut req = Request::builder().method(Method::GET).uri(path);
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            req = req.header(header::COOKIE, cookies);
        }
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        EventStream {
            status: res.status(),
            content_type: res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
            body: res.into_body(),
            buffer: String::new(),
        }
    }

    pub fn with_bearer(mut self, token: &str) -> Self {
        self.headers.insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        self
    }

    /// Requests come from this address (as the socket sees it).
    pub fn with_address(mut self, ip: &str) -> Self {
        self.peer = Some(ip.parse().expect("an IP address"));
        self
    }

    /// Posts a `multipart/form-data` body of text fields, as a browser sends a form with a file
    /// input, without adding a CSRF token.
    pub async fn post_multipart(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let boundary = "----stiptestboundary7MA4YWxkTrZu0gW";
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let ct = format!("multipart/form-data; boundary={boundary}");
        self.request(Method::POST, path, Some(&ct), body).await
    }

    /// Uploads a file in the form field `file`, as `curl -F file=@NAME` does.
    pub async fn upload(&self, path: &str, file_name: &str, bytes: &[u8]) -> TestResponse {
        self.upload_with(path, &[], file_name, bytes).await
    }

    /// Sends a form with a file input as a browser does: the text fields first (as they stand
    /// in the form, the CSRF token among them), then the file in the field `file`.
    pub async fn upload_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
    ) -> TestResponse {
        let boundary = "----stiptestboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        ).as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let ct = format!("multipart/form-data; boundary={boundary}");
        self.request(Method::POST, path, Some(&ct), body).await
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.insert(name, value.parse().unwrap());
        self
    }
}

/// The fields of a complete project form, as a person fills it in.
pub fn full_project_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "Dashboard studiesucces"),
        ("summary", "Eén dashboard voor studievoortgang"),
        ("description", "## Aanleiding\n\nTe veel losse lijstjes."),
        ("intended_result", "Minder uitval in jaar 1"),
        ("owner", "Directeur onderwijs"),
        ("project_lead", "Piet Projectleider"),
        ("contact_person", "Hanna Horizon"),
        ("phase", "uitvoering"),
        ("status", "oranje"),
        ("status_note", "Leverancier is laat"),
        ("start_date", "2025-02-01"),
        ("end_date", "2026-07-31"),
        ("budget", "12.500,50"),
        ("effort", "1,5"),
        ("effort_unit", "fte"),
        ("horizon", "middellang"),
        ("character", "innoveren"),
        ("perspective_strategic_operational", "2"),
        ("perspective_ict_business", "4"),
        ("primary_theme", "data-ondersteund-onderwijs"),
        ("themes", "llo"),
        ("themes", "innovatie"),
        ("drivers", "krimp"),
        ("drivers", "diversiteit"),
        ("mora_areas", "student-begeleiden"),
        ("mora_areas", "bedrijfsvoering-informatie-data"),
        ("score_strategische-bijdrage", "5"),
        ("score_risico", "2"),
        ("visibility", "netwerk"),
        ("shareable", "1"),
        (
            "case_summary",
            "Hoe wij het dashboard samen met docenten bouwden",
        ),
        (
            "links",
            "https://example.org/dashboard\nhttps://example.org/verslag",
        ),
    ]
}

/// The unfiltered first page of the portfolio.
pub fn all_projects() -> stip_core::portfolio::ListRequest {
    stip_core::portfolio::ListQuery::default().parse().unwrap()
}

/// A project's edit form as a browser sends it untouched: every field with its stored value,
/// and the version it shows.
pub async fn edit_form_of(app: &TestApp, id: i64) -> Vec<(String, String)> {
    let p = app.store().project(id).await.unwrap();
    let input = stip_core::portfolio::ProjectInput::from(&p.data);
    let mut f: Vec<(String, String)> = [
        ("title", &input.title),
        ("summary", &input.summary),
        ("description", &input.description),
        ("intended_result", &input.intended_result),
        ("owner", &input.owner),
        ("project_lead", &input.project_lead),
        ("contact_person", &input.contact_person),
        ("phase", &input.phase),
        ("status", &input.status),
        ("status_note", &input.status_note),
        ("start_date", &input.start_date),
        ("end_date", &input.end_date),
        ("budget", &input.budget),
        ("effort", &input.effort),
        ("effort_unit", &input.effort_unit),
        ("horizon", &input.horizon),
        ("character", &input.character),
        (
            "perspective_strategic_operational",
            &input.perspective_strategic_operational,
        ),
        ("perspective_ict_business", &input.perspective_ict_business),
        ("primary_theme", &input.primary_theme),
        ("visibility", &input.visibility),
        ("case_summary", &input.case_summary),
        ("links", &input.links),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect();
    f.extend(input.themes.iter().map(|t| ("themes".into(), t.clone())));
    f.extend(input.drivers.iter().map(|d| ("drivers".into(), d.clone())));
    f.extend(
        input
            .mora_areas
            .iter()
            .map(|a| ("mora_areas".into(), a.clone())),
    );
    f.extend(
        input
            .scores
            .iter()
            .map(|(c, v)| (format!("score_{c}"), v.clone())),
    );
    if input.shareable {
        f.push(("shareable".into(), "1".into()));
    }
    f.push(("version".into(), p.version.to_string()));
    f
}

/// Sets one field of a form (adding it if absent).
pub fn set(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    form.retain(|(k, _)| k != name);
    form.push((name.to_string(), value.to_string()));
}

/// A form's fields as `post_form` takes them.
pub fn fields(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// A server-sent event: its id, its name and its data as JSON.
#[derive(Debug, Clone)]
pub struct SentEvent {
    pub id: i64,
    pub name: String,
    pub data: serde_json::Value,
}

/// An open stream of server-sent events, read as a browser's EventSource reads it.
pub struct EventStream {
    pub status: StatusCode,
    pub content_type: String,
    body: Body,
    buffer: String,
}

impl EventStream {
    /// The next event, waiting at most `wait` (comments, such as keep-alives, are skipped).
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<SentEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut name, mut data) = (None, String::from("message"), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if let Some(id) = id {
                    let data = serde_json::from_str(&data).unwrap_or(serde_json::Value::Null);
                    return Some(SentEvent { id, name, data });
                }
                continue;
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()??;
            if let Ok(bytes) = frame.unwrap().into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }

    /// The next `n` events (panics when they do not come within `wait` in all).
    pub async fn take(&mut self, n: usize, wait: std::time::Duration) -> Vec<SentEvent> {
        let mut out = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        while out.len() < n {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Some(e) => out.push(e),
                None => panic!("{} of {n} events came within {wait:?}: {out:?}", out.len()),
            }
        }
        out
    }
}
