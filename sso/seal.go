package sso

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrSealBroken is a sealed value that does not open with this key: it was
// sealed under another SESSION_KEY, or changed.
var ErrSealBroken = errors.New("sso: sealed value does not open with this key")

// sealPrefix names the scheme, so a later one can be told apart.
const sealPrefix = "v1:"

// Sealer encrypts client secrets for the database with AES-256-GCM, under
// a key derived from the deployment's session key, so a copy of the
// database alone does not give the secrets away.
type Sealer struct{ aead cipher.AEAD }

// NewSealer derives the sealing key from key (the session key).
func NewSealer(key []byte) (*Sealer, error) {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("sso client secret sealing key"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain; aad binds it to what it belongs to (an
// organisation), so a sealed secret copied to another row does not open.
func (s *Sealer) Seal(plain, aad string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, []byte(plain), []byte(aad))
	return sealPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts what Seal made with the same aad.
func (s *Sealer) Open(sealed, aad string) (string, error) {
	if len(sealed) < len(sealPrefix) || sealed[:len(sealPrefix)] != sealPrefix {
		return "", ErrSealBroken
	}
	b, err := base64.RawStdEncoding.DecodeString(sealed[len(sealPrefix):])
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", ErrSealBroken
	}
	plain, err := s.aead.Open(nil, b[:s.aead.NonceSize()], b[s.aead.NonceSize():], []byte(aad))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrSealBroken, err)
	}
	return string(plain), nil
}
