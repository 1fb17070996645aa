//! The API's description: the OpenAPI 3 document at `/api/openapi.json`, and the human-readable
//! API page at `/api`, rendered by Stip from that same document.

use crate::AppState;
use crate::auth::Viewer;
use crate::http::error::{Problem, ProblemField};
use crate::ui::layout::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token: `stip token create --email …`"))
                    .build(),
            ),
        );
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::auth::session::SESSION_COOKIE,
            "The browser session; state-changing requests then also need the X-CSRF-Token header.",
        ))));
    }
}

/// How every error is described: a [`Problem`] as `application/problem+json`; and a body that
/// is too large (413) or not JSON (415) for every operation that takes one.
struct Problems;

impl Modify for Problems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                if op.request_body.is_some() {
                    for (status, text) in [
                        ("413", "The body is larger than 4 MB"),
                        (
                            "415",
                            "The body is not JSON (`application/json`, or `application/merge-patch+json` for PATCH)",
                        ),
                    ] {
                        op.responses.responses.insert(
                            status.into(),
                            ResponseBuilder::new().description(text).into(),
                        );
                    }
                }
                for (status, response) in op.responses.responses.iter_mut() {
                    if status.as_str() >= "400"
                        && let utoipa::openapi::RefOr::T(r) = response
                    {
                        r.content.clear();
                        r.content
                            .insert("application/problem+json".into(), problem());
                    }
                }
            }
        }
        // PUT replaces a whole project from the version it started from: `version` is required
        // there, not on POST. One Rust type, two documented schemas.
        let components = openapi.components.get_or_insert_with(Default::default);
        if let Some(utoipa::openapi::RefOr::T(utoipa::openapi::Schema::Object(write))) =
            components.schemas.get("ProjectWrite").cloned()
        {
            let mut update = write;
            update.required.push("version".into());
            update.description = Some(
                "A whole project to save over `version`, the version the edit started from.".into(),
            );
            components
                .schemas
                .insert("ProjectUpdate".into(), update.clone().into());
            // PATCH: any field of a project to save, only `version` required.
            let mut patch = update;
            patch.required = vec!["version".into()];
            patch.properties.insert(
                "version".into(),
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int64,
                    )))
                    .description(Some("The version the change is based on (from GET)."))
                    .into(),
            );
            patch.description = Some(
                "A JSON merge patch (RFC 7396) of a project, based on `version`: the fields it \
                 names are set, a `null` empties one, and the rest stay as they are."
                    .into(),
            );
            components
                .schemas
                .insert("ProjectPatch".into(), patch.into());
            if let Some(put) = openapi
                .paths
                .paths
                .get_mut("/api/v1/projects/{id}")
                .and_then(|item| item.put.as_mut())
                && let Some(body) = put.request_body.as_mut()
                && let Some(json) = body.content.get_mut("application/json")
            {
                json.schema = Some(Ref::from_schema_name("ProjectUpdate").into());
            }
        }
        // Search takes the list's filters, but its text is required: one parameter type, and
        // `q` made required here.
        if let Some(search) = openapi
            .paths
            .paths
            .get_mut("/api/v1/search")
            .and_then(|item| item.get.as_mut())
        {
            for param in search.parameters.iter_mut().flatten() {
                if param.name == "q" {
                    param.required = utoipa::openapi::Required::True;
                    param.description =
                        Some("The words to find, every one of them (required).".into());
                    param.schema = Some(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::String)
                            .min_length(Some(1))
                            .max_length(Some(200))
                            // A character that is no white space, as Rust counts it (the
                            // search trims that): JSON Schema's `\s` lacks U+0085 and has U+FEFF,
                            // which the search counts as blank too.
                            .pattern(Some(r"[^\s\u0085]"))
                            .into(),
                    );
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Stip API", description = "The project portfolios of the network of information managers of Dutch mbo institutions."),
    components(schemas(Problem, ProblemField)),
    modifiers(&Security),
    security(("token" = []), ("session" = [])),
    tags((name = "institutions", description = "Instellingen"), (name = "agenda", description = "Strategische agenda"), (name = "projects", description = "Projecten"), (name = "imports", description = "Projectoverzichten inlezen"), (name = "insight", description = "Inzicht: netwerkoverzicht, balans, dwarsverbanden, roadmap, zoeken en vergelijkbare projecten"), (name = "prioritisation", description = "Prioriteren: scores, de beste selectie binnen een budget, de efficiënte grens, weging en scenario's"), (name = "surveys", description = "Enquêtes: bouwen, openen, uitnodigingen, antwoorden en resultaten"), (name = "meetings", description = "Netwerkbijeenkomsten: plannen, agenda, verslag, aanwezigheid en agenda-bestanden"), (name = "workshops", description = "Werksessies: meedoen met een code, fasen, notities, stippen zetten, resultaat en live volgen"), (name = "positioning", description = "Positionering: je eigen plek op de assen en je stakeholders, en de anonieme verdelingen van het netwerk"), (name = "login", description = "Inloggen: SURFconext en wie nog met een wachtwoord inlogt"))
)]
pub struct ApiDoc;

/// What the API answers about itself, made once from the document the areas' routes made.
struct Document {
    json: axum::body::Bytes,
    /// The same document as JSON values, which the API page reads.
    value: serde_json::Value,
}

/// `/api/openapi.json` and the API page, for `document`: every operation the areas' routes
/// documented (see `crate::areas`).
pub fn routes(mut document: utoipa::openapi::OpenApi) -> Router<AppState> {
    Problems.modify(&mut document);
    let value = serde_json::to_value(&document).expect("the OpenAPI document serialises");
    let document = Arc::new(Document {
        value,
        json: document
            .to_pretty_json()
            .expect("the OpenAPI document serialises")
            .into(),
    });
    let json = document.clone();
    Router::new()
        .route(
            "/api/openapi.json",
            get(move || async move {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    json.json.clone(),
                )
                    .into_response()
            }),
        )
        .route(
            "/api",
            get(move |viewer: Viewer| async move { page(viewer, &document) }),
        )
}

/// One operation on the API page.
struct Operation {
    method: String,
    path: String,
    summary: String,
    parameters: Vec<(String, String, bool, String)>,
    request: Option<String>,
    responses: Vec<(String, String)>,
}

struct SchemaView {
    name: String,
    description: String,
    properties: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "api.html")]
struct ApiPage {
    c: Chrome,
    operations: Vec<Operation>,
    schemas: Vec<SchemaView>,
}

/// A short text for a JSON schema: "ProjectJson", "string", "array of string", …
fn describe_type(v: &serde_json::Value) -> String {
    if let Some(r) = v.get("$ref").and_then(|r| r.as_str()) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    if let Some(items) = v.get("items") {
        return format!("array of {}", describe_type(items));
    }
    if let Some(one) = v.get("oneOf").and_then(|o| o.as_array()) {
        return one
            .iter()
            .map(describe_type)
            .filter(|t| t != "null")
            .collect::<Vec<_>>()
            .join(" or ");
    }
    match v.get("type") {
        Some(serde_json::Value::String(t)) => t.clone(),
        Some(serde_json::Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str())
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join(" or "),
        _ if v.get("additionalProperties").is_some() => "object".into(),
        _ => "value".into(),
    }
}

fn page(viewer: Viewer, document: &Document) -> Response {
    let doc = &document.value;
    let mut operations = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in ["get", "post", "put", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let parameters = op["parameters"]
                    .as_array()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| {
                                (
                                    p["name"].as_str().unwrap_or("").to_string(),
                                    p["in"].as_str().unwrap_or("").to_string(),
                                    p["required"].as_bool().unwrap_or(false),
                                    p["description"].as_str().unwrap_or("").to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let request = op["requestBody"]["content"]["application/json"]
                    .get("schema")
                    .map(describe_type);
                let responses = op["responses"]
                    .as_object()
                    .map(|rs| {
                        rs.iter()
                            .map(|(code, r)| {
                                let body = r["content"]
                                    .as_object()
                                    .and_then(|c| c.values().next())
                                    .map(|c| describe_type(&c["schema"]));
                                let text = [
                                    r["description"].as_str().unwrap_or("").to_string(),
                                    body.unwrap_or_default(),
                                ]
                                .into_iter()
                                .filter(|s| !s.is_empty())
                                .collect::<Vec<_>>()
                                .join(" — ");
                                (code.clone(), text)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                operations.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: [op["summary"].as_str(), op["description"].as_str()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                    parameters,
                    request,
                    responses,
                });
            }
        }
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .map(|schemas| {
            schemas
                .iter()
                .map(|(name, v)| {
                    let required: Vec<&str> = v["required"]
                        .as_array()
                        .map(|r| r.iter().filter_map(|x| x.as_str()).collect())
                        .unwrap_or_default();
                    let properties = v["properties"]
                        .as_object()
                        .map(|ps| {
                            ps.iter()
                                .map(|(k, p)| {
                                    let ty = describe_type(p);
                                    let ty = if required.contains(&k.as_str()) {
                                        ty
                                    } else {
                                        format!("{ty}, optional")
                                    };
                                    (
                                        k.clone(),
                                        ty,
                                        p["description"].as_str().unwrap_or("").to_string(),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let description = v["description"].as_str().unwrap_or("").to_string();
                    SchemaView {
                        name: name.clone(),
                        description,
                        properties,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    render(&ApiPage {
        c: viewer.chrome(),
        operations,
        schemas,
    })
}
