// Package bench benchmarks notation-go's verifier on the envelope set written
// by `gencorpus -bench -out DIR` (default DIR: ./data, override with
// NOTAVERIFY_BENCH_DIR). The Rust side verifies the same files.
package bench

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	_ "github.com/notaryproject/notation-core-go/signature/cose"
	_ "github.com/notaryproject/notation-core-go/signature/jws"
	"github.com/notaryproject/notation-go"
	"github.com/notaryproject/notation-go/verifier"
	"github.com/notaryproject/notation-go/verifier/trustpolicy"
	"github.com/notaryproject/notation-go/verifier/truststore"
	digest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

type caseFile struct {
	ID                 string `json:"id"`
	Envelope           string `json:"envelope"`
	SignatureMediaType string `json:"signatureMediaType"`
	Reference          string `json:"reference"`
	Descriptor         struct {
		MediaType string `json:"mediaType"`
		Digest    string `json:"digest"`
		Size      int64  `json:"size"`
	} `json:"descriptor"`
	Policy     string `json:"policy"`
	Truststore string `json:"truststore"`
}

// memStore is an in-memory truststore.X509TrustStore.
type memStore map[string][]*x509.Certificate

func (m memStore) GetCertificates(_ context.Context, t truststore.Type, name string) ([]*x509.Certificate, error) {
	c, ok := m[string(t)+"/"+name]
	if !ok {
		return nil, truststore.TrustStoreError{Msg: fmt.Sprintf("the trust store %q of type %q does not exist", name, t)}
	}
	return c, nil
}

// loadStore reads DIR/truststore/x509/<type>/<name>/*.pem into memory.
func loadStore(root string) (memStore, error) {
	m := memStore{}
	files, err := filepath.Glob(filepath.Join(root, "truststore", "x509", "*", "*", "*"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		name := filepath.Base(filepath.Dir(f))
		typ := filepath.Base(filepath.Dir(filepath.Dir(f)))
		for {
			var blk *pem.Block
			blk, data = pem.Decode(data)
			if blk == nil {
				break
			}
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, err
			}
			m[typ+"/"+name] = append(m[typ+"/"+name], c)
		}
	}
	return m, nil
}

type loaded struct {
	c    caseFile
	env  []byte
	desc ocispec.Descriptor
	v    notation.Verifier
}

func load(tb testing.TB) []loaded {
	dir := os.Getenv("NOTAVERIFY_BENCH_DIR")
	if dir == "" {
		dir = "data"
	}
	paths, err := filepath.Glob(filepath.Join(dir, "cases", "*", "case.json"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no cases under %s/cases (run gencorpus -bench -out %s)", dir, dir)
	}
	sort.Strings(paths)
	stores := map[string]memStore{}
	var out []loaded
	for _, p := range paths {
		var c caseFile
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		if err := json.Unmarshal(b, &c); err != nil {
			tb.Fatal(err)
		}
		env, err := os.ReadFile(filepath.Join(filepath.Dir(p), c.Envelope))
		if err != nil {
			tb.Fatal(err)
		}
		st, ok := stores[c.Truststore]
		if !ok {
			if st, err = loadStore(filepath.Join(dir, c.Truststore)); err != nil {
				tb.Fatal(err)
			}
			stores[c.Truststore] = st
		}
		pb, err := os.ReadFile(filepath.Join(dir, c.Policy))
		if err != nil {
			tb.Fatal(err)
		}
		var doc trustpolicy.Document
		if err := json.Unmarshal(pb, &doc); err != nil {
			tb.Fatal(err)
		}
		// revocation is skipped by the policy; no plugin manager.
		v, err := verifier.New(&doc, st, nil)
		if err != nil {
			tb.Fatal(err)
		}
		desc := ocispec.Descriptor{MediaType: c.Descriptor.MediaType, Digest: digest.Digest(c.Descriptor.Digest), Size: c.Descriptor.Size}
		out = append(out, loaded{c, env, desc, v})
	}
	return out
}

func opts(c caseFile) notation.VerifierVerifyOptions {
	return notation.VerifierVerifyOptions{ArtifactReference: c.Reference, SignatureMediaType: c.SignatureMediaType}
}

func TestBenchSetVerifies(t *testing.T) {
	for _, l := range load(t) {
		if _, err := l.v.Verify(context.Background(), l.desc, l.env, opts(l.c)); err != nil {
			t.Errorf("%s: %v", l.c.ID, err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	for _, l := range load(b) {
		o := opts(l.c)
		b.Run(l.c.ID, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := l.v.Verify(ctx, l.desc, l.env, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
