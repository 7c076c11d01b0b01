package handlers

// A small but real OpenID Connect provider for the single sign-on tests: it
// serves discovery, its signing keys (JWKS), an authorisation endpoint that
// signs in whoever the test chose and a token endpoint that checks the
// client secret and the PKCE verifier, and signs RS256 ID tokens with
// go-jose. Each test case bends one thing (the audience, the expiry, the
// nonce, email_verified) to prove the service refuses it.

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// providerLogin is who signs in at the provider's next authorisation, and
// how their ID token is made.
type providerLogin struct {
	Subject, Email, Name string
	// EmailVerified is the email_verified claim; nil leaves it out.
	EmailVerified *bool
	// Audience replaces the client id as the token's audience.
	Audience string
	// Expired issues a token that expired an hour ago.
	Expired bool
	// Nonce replaces the nonce the client sent.
	Nonce string
	// EmailInUserInfo leaves the email and email_verified out of the ID
	// token and gives them at the userinfo endpoint only, as NHS CIS2 does.
	EmailInUserInfo bool
}

type issuedCode struct {
	login       providerLogin
	nonce       string
	challenge   string
	redirectURI string
}

type testProvider struct {
	t            testing.TB
	http         *httptest.Server
	key          *rsa.PrivateKey
	keyID        string
	clientID     string
	clientSecret string
	redirectURI  string

	mu    sync.Mutex
	next  providerLogin
	codes map[string]issuedCode
	// tokens counts the ID tokens issued.
	tokens int
	// scopes are those of the last authorisation asked for.
	scopes []string
	// access maps each access token issued to whom it was issued.
	access map[string]providerLogin
}

func verified(b bool) *bool { return &b }

// newTestProvider starts a provider on a loopback address that accepts one
// client, with redirectURI as its only redirect address.
func newTestProvider(t testing.TB, redirectURI string) *testProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &testProvider{t: t, key: key, keyID: "test-key-1", clientID: "dmsa-test-client",
		clientSecret: "a-client-secret-" + newToken(), redirectURI: redirectURI, codes: map[string]issuedCode{},
		access: map[string]providerLogin{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /keys", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userinfo)
	p.http = httptest.NewServer(mux)
	t.Cleanup(p.http.Close)
	return p
}

func (p *testProvider) issuer() string { return p.http.URL }

// signInNext sets who the next authorisation signs in.
func (p *testProvider) signInNext(l providerLogin) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next = l
}

func (p *testProvider) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.issuer(),
		"authorization_endpoint":                p.issuer() + "/authorize",
		"token_endpoint":                        p.issuer() + "/token",
		"jwks_uri":                              p.issuer() + "/keys",
		"userinfo_endpoint":                     p.issuer() + "/userinfo",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid", "profile", "email"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (p *testProvider) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: p.keyID, Algorithm: string(jose.RS256), Use: "sig"}}})
}

// authorize signs in the chosen person at once and sends the browser back
// with a code, after checking the request as a provider would.
func (p *testProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("response_type") != "code":
		http.Error(w, "response_type must be code", http.StatusBadRequest)
		return
	case q.Get("client_id") != p.clientID:
		http.Error(w, "unknown client", http.StatusBadRequest)
		return
	case q.Get("redirect_uri") != p.redirectURI:
		http.Error(w, "redirect_uri is not registered", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		http.Error(w, "PKCE with S256 is required", http.StatusBadRequest)
		return
	case q.Get("state") == "" || q.Get("nonce") == "":
		http.Error(w, "state and nonce are required", http.StatusBadRequest)
		return
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		http.Error(w, "the openid scope is required", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.scopes = strings.Fields(q.Get("scope"))
	code := newToken()
	p.codes[code] = issuedCode{login: p.next, nonce: q.Get("nonce"), challenge: q.Get("code_challenge"),
		redirectURI: q.Get("redirect_uri")}
	p.mu.Unlock()
	back := url.Values{"code": {code}, "state": {q.Get("state")}}
	http.Redirect(w, r, p.redirectURI+"?"+back.Encode(), http.StatusFound)
}

// token exchanges a code, once, for an ID token.
func (p *testProvider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.clientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.clientSecret)) != 1 {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	p.mu.Lock()
	issued, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || !found:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	case r.PostForm.Get("redirect_uri") != issued.redirectURI:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "redirect_uri"})
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != issued.challenge:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "PKCE"})
		return
	}
	l := issued.login
	now := time.Now()
	claims := map[string]any{
		"iss":   p.issuer(),
		"sub":   l.Subject,
		"aud":   p.clientID,
		"iat":   now.Unix(),
		"exp":   now.Add(5 * time.Minute).Unix(),
		"nonce": issued.nonce,
		"email": l.Email,
		"name":  l.Name,
	}
	if l.EmailVerified != nil {
		claims["email_verified"] = *l.EmailVerified
	}
	if l.EmailInUserInfo {
		delete(claims, "email")
		delete(claims, "email_verified")
	}
	if l.Audience != "" {
		claims["aud"] = l.Audience
	}
	if l.Expired {
		claims["iat"], claims["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-time.Hour).Unix()
	}
	if l.Nonce != "" {
		claims["nonce"] = l.Nonce
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: p.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", p.keyID))
	if err != nil {
		p.t.Errorf("signer: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	idToken, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		p.t.Errorf("sign ID token: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	access := newToken()
	p.mu.Lock()
	p.tokens++
	p.access[access] = l
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "token_type": "Bearer",
		"expires_in": 300, "id_token": idToken})
}

// userinfo answers for the holder of an access token.
func (p *testProvider) userinfo(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	l, found := p.access[token]
	p.mu.Unlock()
	if !ok || !found {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token"})
		return
	}
	claims := map[string]any{"sub": l.Subject, "email": l.Email, "name": l.Name}
	if l.EmailVerified != nil {
		claims["email_verified"] = *l.EmailVerified
	}
	writeJSON(w, http.StatusOK, claims)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
