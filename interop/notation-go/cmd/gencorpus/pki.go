package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// Validity windows are chosen so that results do not depend on "now"
// (notation-go uses time.Now()): valid 2020->2120, expired ends before 2022,
// not-yet-valid starts after 2100.
var (
	validFrom    = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	validTo      = time.Date(2120, 1, 1, 0, 0, 0, 0, time.UTC)
	expiredFrom  = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	expiredTo    = time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
	futureFrom   = time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC)
	futureTo     = time.Date(2150, 1, 1, 0, 0, 0, 0, time.UTC)
	pastSignTime = time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)
	futSignTime  = time.Date(2101, 6, 1, 12, 0, 0, 0, time.UTC)
)

var (
	oidKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidEmail            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
)

// keyPool hands out distinct keys per key type (keys are reused across PKIs
// but never twice inside one chain).
type keyPool struct {
	keys map[string][]crypto.Signer
}

func newKey(kt string) (crypto.Signer, error) {
	switch kt {
	case "rsa1024":
		return rsa.GenerateKey(rand.Reader, 1024)
	case "rsa2048":
		return rsa.GenerateKey(rand.Reader, 2048)
	case "rsa3072":
		return rsa.GenerateKey(rand.Reader, 3072)
	case "rsa4096":
		return rsa.GenerateKey(rand.Reader, 4096)
	case "p224":
		return ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	case "p256":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "p384":
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "p521":
		return ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	}
	return nil, fmt.Errorf("unknown key type %s", kt)
}

func (p *keyPool) get(kt string, i int) crypto.Signer {
	if p.keys == nil {
		p.keys = map[string][]crypto.Signer{}
	}
	for len(p.keys[kt]) <= i {
		k, err := newKey(kt)
		if err != nil {
			panic(err)
		}
		p.keys[kt] = append(p.keys[kt], k)
	}
	return p.keys[kt][i]
}

// PKI is a certificate chain, leaf first.
type PKI struct {
	Name        string
	KeyType     string
	Variant     string
	Certs       []*x509.Certificate
	LeafKey     crypto.Signer
	Description string
	// SignTime is the signing time to use with core-go (zero = now).
	SignTime time.Time
	// Broken means notation's signer would refuse the chain; envelopes are
	// produced by re-signing an envelope made with a valid chain.
	Broken bool
}

func subject(cn string) pkix.Name {
	return pkix.Name{Country: []string{"US"}, Province: []string{"WA"}, Locality: []string{"Seattle"}, Organization: []string{"Notary Test"}, CommonName: cn}
}

func kuExt(ku x509.KeyUsage, critical bool) pkix.Extension {
	// encode KeyUsage as BIT STRING like crypto/x509 does
	var a [2]byte
	a[0] = reverseBits(byte(ku))
	a[1] = reverseBits(byte(ku >> 8))
	l := 1
	if a[1] != 0 {
		l = 2
	}
	bitString := a[:l]
	bs := asn1.BitString{Bytes: bitString, BitLength: asn1BitLength(bitString)}
	v, _ := asn1.Marshal(bs)
	return pkix.Extension{Id: oidKeyUsage, Critical: critical, Value: v}
}

func reverseBits(b byte) byte {
	var d byte
	for i := 0; i < 8; i++ {
		d <<= 1
		d |= b & 1
		b >>= 1
	}
	return d
}

func asn1BitLength(b []byte) int {
	bitLen := len(b) * 8
	for i := range b {
		x := b[len(b)-1-i]
		for bit := uint(0); bit < 8; bit++ {
			if (x>>bit)&1 == 1 {
				return bitLen
			}
			bitLen--
		}
	}
	return 0
}

func bcExt(isCA bool, critical bool) pkix.Extension {
	type bc struct {
		IsCA bool `asn1:"optional"`
	}
	v, _ := asn1.Marshal(bc{IsCA: isCA})
	return pkix.Extension{Id: oidBasicConstraints, Critical: critical, Value: v}
}

var serial int64 = 1000

// buildPKI creates a chain of n certs (n>=1) with the given leaf key type and
// variant. CA keys use the same key type as the leaf, except for unsupported
// leaf key types (CAs use P-256).
func buildPKI(pool *keyPool, name, kt string, n int, variant string) (*PKI, error) {
	caKT := kt
	if kt == "rsa1024" || kt == "p224" {
		caKT = "p256"
	}
	keys := make([]crypto.Signer, n)
	keys[0] = pool.get(kt, 0)
	for i := 1; i < n; i++ {
		if caKT == kt {
			keys[i] = pool.get(caKT, i)
		} else {
			keys[i] = pool.get(caKT, i+4)
		}
	}
	tmpls := make([]*x509.Certificate, n)
	for i := 0; i < n; i++ {
		serial++
		t := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			NotBefore:    validFrom,
			NotAfter:     validTo,
		}
		if i == 0 {
			t.Subject = subject(name + " leaf")
			t.KeyUsage = x509.KeyUsageDigitalSignature
			t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
			t.BasicConstraintsValid = n == 1 // self-signed leaf: BC cA=false
		} else {
			if i == n-1 {
				t.Subject = subject(name + " root")
			} else {
				t.Subject = subject(fmt.Sprintf("%s intermediate %d", name, i))
			}
			t.IsCA = true
			t.BasicConstraintsValid = true
			t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		}
		tmpls[i] = t
	}
	leaf := tmpls[0]
	// CA subject of variant: first intermediate if present, else root
	ca := (*x509.Certificate)(nil)
	if n >= 2 {
		ca = tmpls[1]
	}
	root := tmpls[n-1]
	p := &PKI{Name: name, KeyType: kt, Variant: variant, LeafKey: keys[0]}
	switch variant {
	case "ok":
	case "eku-serverauth":
		leaf.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		p.Broken = true
	case "eku-timestamping":
		leaf.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}
		p.Broken = true
	case "eku-ocspsigning":
		leaf.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
		p.Broken = true
	case "eku-any":
		leaf.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
		p.Broken = true // may be accepted; resign path either way
	case "eku-none":
		leaf.ExtKeyUsage = nil
	case "ku-missing":
		leaf.KeyUsage = 0
		p.Broken = true
	case "ku-noncritical":
		leaf.ExtraExtensions = append(leaf.ExtraExtensions, kuExt(x509.KeyUsageDigitalSignature, false))
		p.Broken = true
	case "ku-keyencipherment":
		leaf.KeyUsage |= x509.KeyUsageKeyEncipherment
		p.Broken = true
	case "ku-contentcommitment":
		leaf.KeyUsage |= x509.KeyUsageContentCommitment
	case "leaf-is-ca":
		leaf.BasicConstraintsValid = true
		leaf.IsCA = true
		p.Broken = true
	case "leaf-expired":
		leaf.NotBefore, leaf.NotAfter = expiredFrom, expiredTo
		p.SignTime = pastSignTime
	case "leaf-notyetvalid":
		leaf.NotBefore, leaf.NotAfter = futureFrom, futureTo
		p.SignTime = futSignTime
	case "ca-expired":
		if ca == nil {
			return nil, nil
		}
		ca.NotBefore, ca.NotAfter = expiredFrom, expiredTo
		p.SignTime = pastSignTime
	case "subject-email":
		leaf.Subject.ExtraNames = []pkix.AttributeTypeAndValue{{Type: oidEmail, Value: "signer@example.com"}}
	case "subject-two-ou":
		leaf.Subject.OrganizationalUnit = []string{"Unit A", "Unit B"}
	case "subject-no-st":
		leaf.Subject.Province = nil
	case "subject-escaped":
		leaf.Subject.Organization = []string{"Notary, Test; Inc"}
	case "leaf-ocsp-url":
		leaf.OCSPServer = []string{"http://ocsp.example.invalid/"}
	case "leaf-crl-url":
		leaf.CRLDistributionPoints = []string{"http://crl.example.invalid/leaf.crl"}
	case "ca-no-bc":
		if ca == nil {
			return nil, nil
		}
		ca.BasicConstraintsValid = false
		ca.IsCA = false
		p.Broken = true
	case "ca-false":
		if ca == nil {
			return nil, nil
		}
		ca.IsCA = false
		p.Broken = true
	case "ca-bc-noncritical":
		if ca == nil {
			return nil, nil
		}
		ca.ExtraExtensions = append(ca.ExtraExtensions, bcExt(true, false))
		p.Broken = true
	case "ca-no-keycertsign":
		if ca == nil {
			return nil, nil
		}
		ca.KeyUsage = x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
		p.Broken = true
	case "ca-ku-noncritical":
		if ca == nil {
			return nil, nil
		}
		ca.ExtraExtensions = append(ca.ExtraExtensions, kuExt(x509.KeyUsageCertSign|x509.KeyUsageCRLSign, false))
		p.Broken = true
	case "pathlen-exceeded":
		if n < 3 {
			return nil, nil
		}
		root.MaxPathLen = 0
		root.MaxPathLenZero = true
		p.Broken = true
	case "pathlen-ok":
		if n < 3 {
			return nil, nil
		}
		root.MaxPathLen = n - 2
	case "unsupported-key":
		p.Broken = true
	default:
		return nil, fmt.Errorf("unknown variant %s", variant)
	}
	certs := make([]*x509.Certificate, n)
	for i := n - 1; i >= 0; i-- {
		parent := tmpls[i]
		parentKey := keys[i]
		if i < n-1 {
			parent = certs[i+1]
			parentKey = keys[i+1]
		}
		tmpls[i].Issuer = parent.Subject
		der, err := x509.CreateCertificate(rand.Reader, tmpls[i], parent, keys[i].Public(), parentKey)
		if err != nil {
			return nil, fmt.Errorf("%s: create cert %d: %w", name, i, err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		certs[i] = c
	}
	p.Certs = certs
	p.Description = fmt.Sprintf("%s chain of %d, leaf %s, variant %s", name, n, kt, variant)
	return p, nil
}

func pemEncode(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

func writePKI(dir string, p *PKI) error {
	d := filepath.Join(dir, "pki", p.Name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	for i, c := range p.Certs {
		if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("cert%d.pem", i)), pemEncode(c), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(d, "chain.pem"), pemEncode(p.Certs...), 0o644)
}
