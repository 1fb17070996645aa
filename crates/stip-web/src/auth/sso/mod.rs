//! Logging in with the institution's own account through SURFconext (OpenID Connect): the
//! provider as Stip knows it ([`Oidc`]: configuration, discovery, keys), the login itself
//! ([`flow`]) and the beheerder's rules ([`settings`]).
//!
//! Everything that checks what the provider sends (PKCE, state, nonce, the ID token's
//! signature against the provider's keys, issuer, audience, expiry) is the `openidconnect`
//! crate's; this module decides what to ask and what a failure means for the person.

pub mod flow;
pub mod settings;

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, ClientId, ClientSecret, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, ProviderMetadataWithLogout, RedirectUrl,
    StandardErrorResponse, StandardTokenResponse, reqwest,
};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// SURFconext's claim beside the standard ones: the home organisation's domain.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SurfClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schac_home_organization: Option<String>,
}
impl AdditionalClaims for SurfClaims {}

type TokenResponse = StandardTokenResponse<
    IdTokenFields<
        SurfClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

/// The client as discovery makes it: an authorization endpoint, a token and a userinfo
/// endpoint when the provider names them.
type Client = openidconnect::Client<
    SurfClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How long the provider's discovery document and keys are used before they are read again.
/// Every login reads them afresh when it starts (so the way back finds them current), and once
/// more when an ID token names a key Stip does not know; the copy serves logging out.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// How long Stip waits for the provider on each request.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
/// How far the provider's clock may be from Stip's when the ID token's times are checked.
pub const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(60);

/// What `stip serve` is told about the provider.
#[derive(Clone, Debug)]
pub struct OidcConfig {
    /// E.g. `https://connect.surfconext.nl`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Where people reach Stip, e.g. `https://stip.example.nl`: the redirect URI is
    /// `{public_url}/inloggen/oidc/terug`.
    pub public_url: String,
    pub scopes: Vec<String>,
}

/// The provider Stip logs people in with.
pub struct Oidc {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    public_url: String,
    scopes: Vec<String>,
    http: reqwest::Client,
    metadata: RwLock<Option<(Instant, ProviderMetadataWithLogout)>>,
}

/// The provider could not be asked (down, unreachable, or its answer was not a discovery
/// document).
#[derive(Debug)]
pub struct Unreachable(pub String);

impl Oidc {
    /// Checks the configuration; nothing is asked of the provider until someone logs in.
    pub fn new(config: OidcConfig) -> Result<Oidc, String> {
        let issuer = IssuerUrl::new(config.issuer.trim_end_matches('/').to_string())
            .map_err(|e| format!("STIP_OIDC_ISSUER is not a URL: {e}"))?;
        let public_url = config.public_url.trim_end_matches('/').to_string();
        let redirect = RedirectUrl::new(format!("{public_url}/inloggen/oidc/terug"))
            .map_err(|e| format!("STIP_PUBLIC_URL is not a URL: {e}"))?;
        if config.client_id.trim().is_empty() {
            return Err("STIP_OIDC_CLIENT_ID is empty".into());
        }
        let http = reqwest::ClientBuilder::new()
            // Following redirects would let a provider's answer send Stip elsewhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        let mut scopes = config.scopes;
        if !scopes.iter().any(|s| s == "openid") {
            scopes.insert(0, "openid".into());
        }
        Ok(Oidc {
            issuer,
            client_id: ClientId::new(config.client_id.trim().to_string()),
            client_secret: ClientSecret::new(config.client_secret),
            redirect,
            public_url,
            scopes,
            http,
            metadata: RwLock::new(None),
        })
    }

    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The issuer's origin (`https://connect.surfconext.nl`), for the content security policy.
    pub fn origin(&self) -> String {
        self.issuer.url().origin().ascii_serialization()
    }

    /// Whether the cookies Stip sets for the login must be sent over HTTPS only.
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The provider's discovery document and keys: the copy read within the last hour, or
    /// read now (`fresh` reads them again whatever the age).
    async fn metadata(&self, fresh: bool) -> Result<ProviderMetadataWithLogout, Unreachable> {
        if !fresh
            && let Some((at, m)) = &*self.metadata.read().await
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let m = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| Unreachable(chain(&e)))?;
        *self.metadata.write().await = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    fn client(&self, m: ProviderMetadataWithLogout) -> Client {
        Client::from_provider_metadata(m, self.client_id.clone(), Some(self.client_secret.clone()))
            .set_redirect_uri(self.redirect.clone())
    }

    /// The provider's end-session endpoint as last discovered, if it has one (for logging out
    /// there too); never waits for the provider when it is not known yet.
    async fn end_session(&self) -> Option<openidconnect::EndSessionUrl> {
        let m = match &*self.metadata.read().await {
            Some((_, m)) => m.clone(),
            None => self.metadata(false).await.ok()?,
        };
        m.additional_metadata().end_session_endpoint.clone()
    }
}

/// An error and its causes in one line, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}
