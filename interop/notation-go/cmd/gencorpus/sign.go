package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/notaryproject/notation-core-go/signature"
	"github.com/notaryproject/notation-core-go/signature/cose"
	"github.com/notaryproject/notation-core-go/signature/jws"
	"github.com/notaryproject/notation-go"
	"github.com/notaryproject/notation-go/signer"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	gocose "github.com/veraison/go-cose"
)

const payloadMediaType = "application/vnd.cncf.notary.payload.v1+json"

var mediaTypes = map[string]string{"jws": jws.MediaTypeEnvelope, "cose": cose.MediaTypeEnvelope}

// SignSpec describes how to produce an envelope.
type SignSpec struct {
	Format      string // jws|cose
	Scheme      signature.SigningScheme
	SigningTime time.Time // zero -> now (truncated to seconds)
	Expiry      time.Time // zero -> none
	ExtAttrs    []signature.Attribute
	// UseNotationSigner: use notation-go signer.New(...).Sign (scheme x509,
	// expiry relative to now, no extended attributes).
	UseNotationSigner bool
	ExpiryDuration    time.Duration
}

// signEnvelope signs desc with the PKI (leaf key + chain).
func signEnvelope(p *PKI, desc ocispec.Descriptor, s SignSpec) ([]byte, error) {
	mt := mediaTypes[s.Format]
	if s.UseNotationSigner {
		sg, err := signer.New(p.LeafKey, p.Certs)
		if err != nil {
			return nil, err
		}
		env, _, err := sg.Sign(context.Background(), desc, notation.SignerSignOptions{SignatureMediaType: mt, ExpiryDuration: s.ExpiryDuration, SigningAgent: "notaverify-gencorpus/notation-go"})
		return env, err
	}
	payload, err := json.Marshal(map[string]any{"targetArtifact": sanitize(desc)})
	if err != nil {
		return nil, err
	}
	ls, err := signature.NewLocalSigner(p.Certs, p.LeafKey)
	if err != nil {
		return nil, err
	}
	st := s.SigningTime
	if st.IsZero() {
		st = time.Now().Truncate(time.Second)
	}
	req := &signature.SignRequest{
		Payload:                  signature.Payload{ContentType: payloadMediaType, Content: payload},
		Signer:                   ls,
		SigningTime:              st,
		Expiry:                   s.Expiry,
		ExtendedSignedAttributes: s.ExtAttrs,
		SigningAgent:             "notaverify-gencorpus/notation-core-go",
		SigningScheme:            s.Scheme,
	}
	env, err := signature.NewEnvelope(mt)
	if err != nil {
		return nil, err
	}
	return env.Sign(req)
}

// sanitize mirrors notation-go's SanitizeTargetArtifact.
func sanitize(d ocispec.Descriptor) ocispec.Descriptor {
	return ocispec.Descriptor{MediaType: d.MediaType, Digest: d.Digest, Size: d.Size, Annotations: d.Annotations}
}

// ---- envelope surgery ----

type jwsEnv struct {
	Payload   string         `json:"payload"`
	Protected string         `json:"protected"`
	Header    map[string]any `json:"header"`
	Signature string         `json:"signature"`
}

func hashFor(alg string) crypto.Hash {
	switch alg {
	case "PS256", "ES256":
		return crypto.SHA256
	case "PS384", "ES384":
		return crypto.SHA384
	}
	return crypto.SHA512
}

func hashBytes(h crypto.Hash, b []byte) []byte {
	switch h {
	case crypto.SHA256:
		s := sha256.Sum256(b)
		return s[:]
	case crypto.SHA384:
		s := sha512.Sum384(b)
		return s[:]
	}
	s := sha512.Sum512(b)
	return s[:]
}

func rawSign(key crypto.Signer, h crypto.Hash, input []byte) ([]byte, error) {
	d := hashBytes(h, input)
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return rsa.SignPSS(rand.Reader, k, h, d, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, k, d)
		if err != nil {
			return nil, err
		}
		n := (k.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*n)
		r.FillBytes(out[:n])
		s.FillBytes(out[n:])
		return out, nil
	}
	return nil, fmt.Errorf("unsupported key")
}

var coseAlgHash = map[int64]crypto.Hash{-37: crypto.SHA256, -38: crypto.SHA384, -39: crypto.SHA512, -7: crypto.SHA256, -35: crypto.SHA384, -36: crypto.SHA512}

// mutate applies surgery to an envelope. chain (if non-nil) replaces the
// certificate chain; key (if non-nil) re-signs with the header's algorithm;
// f (if non-nil) mutates raw parts before re-signing.
type parts struct {
	payload, protected, sig []byte
}

func mutate(format string, env []byte, chain []*x509.Certificate, key crypto.Signer, f func(*parts), resignAfter bool) ([]byte, error) {
	if format == "jws" {
		var e jwsEnv
		if err := json.Unmarshal(env, &e); err != nil {
			return nil, err
		}
		pl, _ := base64.RawURLEncoding.DecodeString(e.Payload)
		pr, _ := base64.RawURLEncoding.DecodeString(e.Protected)
		sg, _ := base64.RawURLEncoding.DecodeString(e.Signature)
		p := &parts{pl, pr, sg}
		if f != nil && !resignAfter {
			f(p)
		}
		e.Payload = base64.RawURLEncoding.EncodeToString(p.payload)
		e.Protected = base64.RawURLEncoding.EncodeToString(p.protected)
		if key != nil {
			var hdr map[string]any
			json.Unmarshal(p.protected, &hdr)
			alg, _ := hdr["alg"].(string)
			s, err := rawSign(key, hashFor(alg), []byte(e.Protected+"."+e.Payload))
			if err != nil {
				return nil, err
			}
			p.sig = s
		}
		if f != nil && resignAfter {
			f(p)
		}
		e.Signature = base64.RawURLEncoding.EncodeToString(p.sig)
		if chain != nil {
			x5c := make([]string, len(chain))
			for i, c := range chain {
				x5c[i] = base64.StdEncoding.EncodeToString(c.Raw)
			}
			e.Header["x5c"] = x5c
		}
		return json.Marshal(e)
	}
	var m gocose.Sign1Message
	if err := m.UnmarshalCBOR(env); err != nil {
		return nil, err
	}
	var prot []byte
	if err := cbor.Unmarshal(m.Headers.RawProtected, &prot); err != nil {
		return nil, err
	}
	p := &parts{m.Payload, prot, m.Signature}
	if f != nil && !resignAfter {
		f(p)
	}
	if key != nil {
		var hm map[any]any
		if err := cbor.Unmarshal(p.protected, &hm); err != nil {
			return nil, err
		}
		var alg int64
		for k, v := range hm {
			if ki, ok := k.(int64); ok && ki == 1 {
				alg, _ = v.(int64)
			}
			if ku, ok := k.(uint64); ok && ku == 1 {
				alg, _ = v.(int64)
			}
		}
		sigStruct, err := cbor.Marshal([]any{"Signature1", p.protected, []byte{}, p.payload})
		if err != nil {
			return nil, err
		}
		s, err := rawSign(key, coseAlgHash[alg], sigStruct)
		if err != nil {
			return nil, err
		}
		p.sig = s
	}
	if f != nil && resignAfter {
		f(p)
	}
	rp, err := cbor.Marshal(p.protected)
	if err != nil {
		return nil, err
	}
	m.Headers.RawProtected = rp
	m.Payload = p.payload
	m.Signature = p.sig
	if chain != nil {
		ders := make([]any, len(chain))
		for i, c := range chain {
			ders[i] = c.Raw
		}
		for k := range m.Headers.Unprotected {
			if fmt.Sprint(k) == "33" {
				delete(m.Headers.Unprotected, k)
			}
		}
		m.Headers.Unprotected[gocose.HeaderLabelX5Chain] = ders
		m.Headers.RawUnprotected = nil
	}
	return m.MarshalCBOR()
}

func flipByte(b []byte, i int) []byte {
	out := append([]byte(nil), b...)
	out[i%len(out)] ^= 0x01
	return out
}

func replaceSameLen(b []byte, from, to string) []byte {
	s := string(b)
	if !strings.Contains(s, from) {
		return flipByte(b, len(b)/2)
	}
	return []byte(strings.Replace(s, from, to, 1))
}

func reverseCerts(c []*x509.Certificate) []*x509.Certificate {
	out := make([]*x509.Certificate, len(c))
	for i := range c {
		out[len(c)-1-i] = c[i]
	}
	return out
}

var _ = big.NewInt
