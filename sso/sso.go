// Package sso signs people in with their organisation's own accounts over
// OpenID Connect: the authorisation code flow with PKCE, state and nonce.
// Discovery, the provider's keys and every check of the ID token are
// github.com/coreos/go-oidc/v3's; the code exchange is golang.org/x/oauth2's.
// Nothing here checks a token by hand, and nothing here knows about HTTP:
// Accounts keeps each sign-in's state in the database, finds the account
// a provider's sign-in gets, and holds the rules of an organisation's
// settings; package handlers keeps the state's cookie and renders.
package sso

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Scopes asked of every provider: enough for the ID token to carry the
// person's name and email address. Roles stay the service's own, so no
// provider-specific scope is needed.
var Scopes = []string{oidc.ScopeOpenID, "profile", "email"}

// Named reasons a sign-in is refused; handlers turn each into a message.
var (
	// ErrProviderUnavailable: discovery, the keys or the token endpoint
	// could not be reached or answered with an error.
	ErrProviderUnavailable = errors.New("sso: the provider could not be reached")
	// ErrTokenExpired: the ID token's expiry has passed.
	ErrTokenExpired = errors.New("sso: the ID token has expired")
	// ErrTokenInvalid: the ID token failed go-oidc's checks (signature,
	// issuer, audience) or there was none.
	ErrTokenInvalid = errors.New("sso: the ID token is not valid for this service")
	// ErrNonce: the ID token was not issued for this sign-in.
	ErrNonce = errors.New("sso: the ID token's nonce does not match")
	// ErrEmailUnverified: the provider does not vouch for the address.
	ErrEmailUnverified = errors.New("sso: the email address is not verified")
	// ErrNoEmail: the ID token carries no email address.
	ErrNoEmail = errors.New("sso: the ID token has no email address")
)

// Provider is one organisation's OpenID Connect client registration.
type Provider struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the service's callback, as registered with the provider.
	RedirectURL string
	// ExtraScopes are asked for besides Scopes.
	ExtraScopes []string
}

// Identity is who the provider says signed in.
type Identity struct {
	Issuer, Subject string
	Email           string
	Name            string
}

// Client talks to providers. Discovery documents are fetched once per
// issuer and kept; go-oidc refreshes the keys itself when a token names a
// key it has not seen.
type Client struct {
	http *http.Client

	mu        sync.Mutex
	providers map[string]*oidc.Provider
}

// NewClient returns a client whose requests to providers time out after
// timeout.
func NewClient(timeout time.Duration) *Client {
	return &Client{http: &http.Client{Timeout: timeout}, providers: map[string]*oidc.Provider{}}
}

func (c *Client) context(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, c.http)
}

// Discover reads the issuer's discovery document (once; later calls use the
// copy kept).
func (c *Client) Discover(ctx context.Context, issuer string) (*oidc.Provider, error) {
	c.mu.Lock()
	p, ok := c.providers[issuer]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := oidc.NewProvider(c.context(ctx), issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery of %s: %v", ErrProviderUnavailable, issuer, err)
	}
	c.mu.Lock()
	c.providers[issuer] = p
	c.mu.Unlock()
	return p, nil
}

func (c *Client) config(ctx context.Context, p Provider) (*oidc.Provider, *oauth2.Config, error) {
	op, err := c.Discover(ctx, p.Issuer)
	if err != nil {
		return nil, nil, err
	}
	return op, &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: p.RedirectURL,
		Endpoint: op.Endpoint(), Scopes: append(slices.Clip(Scopes), p.ExtraScopes...)}, nil
}

// Start is what one sign-in keeps between leaving for the provider and
// coming back: all three are random and single-use.
type Start struct {
	State, Nonce, Verifier string
}

// NewStart makes the random values of one sign-in.
func NewStart() Start {
	return Start{State: oauth2.GenerateVerifier(), Nonce: oauth2.GenerateVerifier(), Verifier: oauth2.GenerateVerifier()}
}

// AuthCodeURL is where to send the browser: the provider's authorisation
// endpoint with the state, nonce and PKCE challenge (S256). loginHint, when
// not empty, saves the person typing their address again.
func (c *Client) AuthCodeURL(ctx context.Context, p Provider, st Start, loginHint string) (string, error) {
	_, cfg, err := c.config(ctx, p)
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	return cfg.AuthCodeURL(st.State, opts...), nil
}

// claims are the ID token claims the service reads. Microsoft Entra ID
// sends no email_verified; its optional claim xms_edov says the tenant
// owns the email's domain, which is as good.
type claims struct {
	Email             string `json:"email"`
	EmailVerified     *bool  `json:"email_verified"`
	EntraDomainVerify *bool  `json:"xms_edov"`
	Name              string `json:"name"`
	GivenName         string `json:"given_name"`
	FamilyName        string `json:"family_name"`
}

// Finish exchanges the code (with the PKCE verifier), has go-oidc verify
// the ID token against the provider's keys, issuer, client id and expiry,
// and checks that the token was issued for this sign-in (the nonce) and
// vouches for the email address.
func (c *Client) Finish(ctx context.Context, p Provider, st Start, code string) (Identity, error) {
	op, cfg, err := c.config(ctx, p)
	if err != nil {
		return Identity{}, err
	}
	tok, err := cfg.Exchange(c.context(ctx), code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: token exchange: %v", ErrProviderUnavailable, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fmt.Errorf("%w: no id_token in the token response", ErrTokenInvalid)
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify(ctx, raw)
	var expired *oidc.TokenExpiredError
	switch {
	case errors.As(err, &expired):
		return Identity{}, fmt.Errorf("%w: %v", ErrTokenExpired, err)
	case err != nil:
		return Identity{}, fmt.Errorf("%w: %v", ErrTokenInvalid, err)
	}
	// go-oidc leaves the nonce to the caller: it only knows the token.
	if idt.Nonce == "" || idt.Nonce != st.Nonce {
		return Identity{}, ErrNonce
	}
	var cl claims
	if err := idt.Claims(&cl); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %v", ErrTokenInvalid, err)
	}
	if strings.TrimSpace(cl.Email) == "" && op.UserInfoEndpoint() != "" {
		// Some providers (NHS CIS2) give the email only at the userinfo
		// endpoint; its answer counts only for the subject of the checked
		// ID token (OpenID Connect Core 5.3.2).
		ui, err := op.UserInfo(c.context(ctx), oauth2.StaticTokenSource(tok))
		if err != nil {
			return Identity{}, fmt.Errorf("%w: userinfo: %v", ErrProviderUnavailable, err)
		}
		if ui.Subject != idt.Subject {
			return Identity{}, fmt.Errorf("%w: userinfo is about another subject", ErrTokenInvalid)
		}
		if err := ui.Claims(&cl); err != nil {
			return Identity{}, fmt.Errorf("%w: userinfo claims: %v", ErrTokenInvalid, err)
		}
	}
	if strings.TrimSpace(cl.Email) == "" {
		return Identity{}, ErrNoEmail
	}
	if !(isTrue(cl.EmailVerified) || (cl.EmailVerified == nil && isTrue(cl.EntraDomainVerify))) {
		return Identity{}, ErrEmailUnverified
	}
	name := strings.TrimSpace(cl.Name)
	if name == "" {
		name = strings.TrimSpace(cl.GivenName + " " + cl.FamilyName)
	}
	return Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: strings.ToLower(strings.TrimSpace(cl.Email)), Name: name}, nil
}

func isTrue(b *bool) bool { return b != nil && *b }

// Domain is the part of an email address after its last @, in lower case,
// or "" when there is none.
func Domain(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || at == len(email)-1 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(email[at+1:]))
}

// DomainAllowed says whether email's domain is one of domains (exactly: a
// subdomain is another domain).
func DomainAllowed(email string, domains []string) bool {
	d := Domain(email)
	return d != "" && slices.Contains(domains, d)
}
