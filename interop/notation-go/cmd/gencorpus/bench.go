package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"

	"github.com/notaryproject/notation-go"
	"github.com/notaryproject/notation-go/signer"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// genBench writes the benchmark set: every supported key type x chains of 2
// and 3 certificates x JWS/COSE, signed with notation-go's signer.New, one
// strict policy (revocation: skip, identities "*"), in the corpus format.
func genBench(out string) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	for _, d := range []string{"pki", "cases", "policies", "truststores/main"} {
		if err := os.MkdirAll(filepath.Join(absOut, d), 0o755); err != nil {
			return err
		}
	}
	g := &gen{out: absOut, rng: rand.New(rand.NewSource(42)), pkis: map[string]*PKI{}, stores: map[string]bool{}, pols: map[string]string{},
		tsRoot: filepath.Join(absOut, "truststores", "main")}
	g.scrub = func(s string) string { return strings.ReplaceAll(s, absOut, "$CORPUS") }
	var stmts []Stmt
	type item struct {
		p   *PKI
		fmt string
	}
	var items []item
	for _, kt := range []string{"rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521"} {
		for _, n := range []int{2, 3} {
			p := g.getPKI(kt, n, "ok")
			g.ensureStore("ca", p.Name, p, "root")
			for _, f := range []string{"jws", "cose"} {
				items = append(items, item{p, f})
			}
		}
	}
	// One statement per case keeps the scope -> store mapping exact.
	for _, it := range items {
		id := fmt.Sprintf("%s-%s", it.p.Name, it.fmt)
		stmts = append(stmts, Stmt{Name: id, RegistryScopes: []string{registry + "/bench/" + id},
			SignatureVerification: SV{Level: "strict", Override: map[string]string{"revocation": "skip"}},
			TrustStores:           []string{"ca:" + it.p.Name}, TrustedIdentities: []string{"*"}})
	}
	polFile := g.policyFile(Policy{"1.0", stmts})
	polBytes, err := os.ReadFile(filepath.Join(absOut, polFile))
	if err != nil {
		return err
	}
	for _, it := range items {
		id := fmt.Sprintf("%s-%s", it.p.Name, it.fmt)
		desc := ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: digest.FromString("bench " + id), Size: 1234}
		sg, err := signer.New(it.p.LeafKey, it.p.Certs)
		if err != nil {
			return err
		}
		mt := mediaTypes[it.fmt]
		env, _, err := sg.Sign(context.Background(), desc, notation.SignerSignOptions{SignatureMediaType: mt, SigningAgent: "notaverify-gencorpus/notation-go"})
		if err != nil {
			return err
		}
		ref := fmt.Sprintf("%s/bench/%s@%s", registry, id, desc.Digest)
		exp, err := runVerify(polBytes, g.tsRoot, desc, env, mt, ref, nil, g.scrub)
		if err != nil {
			return err
		}
		if !exp.Verified {
			return fmt.Errorf("bench case %s does not verify: %v", id, *exp.Error)
		}
		caseDir := filepath.Join(absOut, "cases", id)
		if err := os.MkdirAll(caseDir, 0o755); err != nil {
			return err
		}
		envName := "signature." + it.fmt + ".sig"
		if err := os.WriteFile(filepath.Join(caseDir, envName), env, 0o644); err != nil {
			return err
		}
		cf := CaseFile{ID: id, Description: fmt.Sprintf("benchmark: %s, %s, signed with notation-go signer.New", it.fmt, it.p.Description),
			Envelope: envName, SignatureMediaType: mt, Reference: ref,
			Descriptor: Desc{MediaType: desc.MediaType, Digest: desc.Digest.String(), Size: desc.Size},
			Policy:     polFile, Truststore: "truststores/main", UserMetadata: map[string]string{}, Tags: []string{"bench"}, PKI: "pki/" + it.p.Name, Expected: exp}
		b, _ := json.MarshalIndent(cf, "", "  ")
		if err := os.WriteFile(filepath.Join(caseDir, "case.json"), append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d benchmark cases to %s\n", len(items), out)
	return nil
}
