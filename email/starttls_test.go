package email_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"nhs-digital-maturity/email"
	"nhs-digital-maturity/email/smtptest"
	"nhs-digital-maturity/models/testdb"
)

// selfSigned makes a certificate for 127.0.0.1 and the pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtp test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// TestSMTPWithSTARTTLSAndLogin sends through a server that offers STARTTLS
// and wants a user name and password (as NHSmail's relay on 587 does): the
// message arrives over TLS, after the login, and reads back intact. A
// sender not told to trust the certificate refuses to send, so the
// password never goes to a server it cannot verify.
func TestSMTPWithSTARTTLSAndLogin(t *testing.T) {
	ctx := context.Background()
	cert, roots := selfSigned(t)
	srv := smtptest.Start(t, smtptest.Options{
		TLS:  &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		User: "relay-user", Password: "s3cret pass",
	})
	url := srv.URL()
	if !strings.HasPrefix(url, "smtp://relay-user:") {
		t.Fatalf("server URL %q has no user", url)
	}

	untrusting, err := email.NewSMTP(email.SMTPOptions{URL: url, From: "no-reply@service.test", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := untrusting.Open(ctx)
	if err == nil {
		conn.Close()
		t.Fatal("a sender that does not trust the certificate connected")
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a sender that does not trust the certificate failed for another reason: %v", err)
	}

	sender, err := email.NewSMTP(email.SMTPOptions{URL: url, From: "no-reply@service.test", Timeout: 5 * time.Second,
		TLS: &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}})
	if err != nil {
		t.Fatal(err)
	}
	store := testdb.Open(t)
	queue(t, store, "tls@one.test")
	c := newClock()
	w := email.NewWorker(store, sender, discardLog())
	w.Now = c.now
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		sum, _ := store.EmailQueueSummary(ctx)
		t.Fatalf("sent %d, err %v, last error %q", n, err, sum.LastError)
	}
	got := srv.To("tls@one.test")
	if len(got) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(got))
	}
	m := got[0]
	if !m.TLS || !m.Authenticated {
		t.Errorf("message arrived with TLS %v, authenticated %v; want both", m.TLS, m.Authenticated)
	}
	if m.From != "no-reply@service.test" || m.Subject != "Reset your password" ||
		!strings.Contains(m.Text, "http://service.test/password/reset/abc") {
		t.Errorf("message: from %q, subject %q, text %q", m.From, m.Subject, m.Text)
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
